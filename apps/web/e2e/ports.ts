// The browser suite's ports; E2E_PORT_OFFSET moves them all, so two checkouts can run it at once.
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);

export const E2E_PORTS = {
  app: 3210 + offset,
  executor: 8298 + offset,
  mailbox: 8035 + offset,
  push: 8036 + offset,
  postgres: 54339 + offset,
  worker: 8299 + offset,
};
