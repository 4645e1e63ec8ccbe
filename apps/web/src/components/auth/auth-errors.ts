/** better-auth's client error ({ code, message, status }) as a message next to the right field. */
export interface AuthFailure {
  field: "email" | "username" | "password" | null;
  message: string;
}

interface AuthClientError {
  code?: string;
  message?: string;
  status?: number;
}

/** Where the page runs and where the server expects it to: for the origin check's message. */
export interface AuthPlace {
  origin: string;
  appUrl: string;
}

export function describeAuthError(error: AuthClientError, place?: AuthPlace): AuthFailure {
  const code = error.code ?? "";
  switch (code) {
    case "INVALID_ORIGIN":
    case "MISSING_OR_NULL_ORIGIN":
      return {
        field: null,
        message: place
          ? `This server only accepts sign-ins from ${place.appUrl}, not ${place.origin}. Open ${place.appUrl}, or set APP_URL (or add ${place.origin} to TRUSTED_ORIGINS) and restart the app.`
          : "This address is not one the server accepts sign-ins from: set APP_URL or TRUSTED_ORIGINS.",
      };
    case "USERNAME_TAKEN":
      return { field: "username", message: "That username is already taken — try another." };
    case "INVALID_USERNAME":
      return { field: "username", message: error.message ?? "That username is not allowed." };
    case "USER_ALREADY_EXISTS":
    case "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL":
      return { field: "email", message: "An account with this email already exists. Sign in instead?" };
    case "INVALID_EMAIL":
      return { field: "email", message: "Enter a valid email address." };
    case "PASSWORD_TOO_SHORT":
      return { field: "password", message: "Use at least 8 characters." };
    case "PASSWORD_TOO_LONG":
      return { field: "password", message: "Use at most 128 characters." };
    case "INVALID_EMAIL_OR_PASSWORD":
      return { field: null, message: "That email and password don't match an account." };
  }
  if (error.status === 429) return { field: null, message: "Too many attempts. Wait a moment and try again." };
  if (error.status === 409) return { field: "username", message: error.message ?? "That username is already taken." };
  return { field: null, message: error.message || "Something went wrong. Please try again." };
}
