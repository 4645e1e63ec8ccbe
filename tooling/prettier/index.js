/** The one formatting style of the repository. */
/** @type {import("prettier").Config} */
const config = {
  printWidth: 120,
  trailingComma: "all",
};

export default config;
