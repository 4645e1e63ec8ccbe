import { adminRouter } from "./router/admin";
import { pushRouter } from "./router/push";
import { userRouter } from "./router/user";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  user: userRouter,
  push: pushRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
