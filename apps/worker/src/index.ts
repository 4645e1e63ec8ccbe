export { startWorkerServer, SERVE_PATH, type WorkerServer } from "./server";
