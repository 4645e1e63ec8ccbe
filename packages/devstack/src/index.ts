export { loadOrCreateSecrets, type LocalSecrets } from "./secrets";
