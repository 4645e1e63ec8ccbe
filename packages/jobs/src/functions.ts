// Filled in by the delivery functions (push and email channels).
export const functions = [];
