import { adminRouter } from "./router/admin";
import { pushRouter } from "./router/push";
import { secureLinkRouter } from "./router/secure";
import { userRouter } from "./router/user";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  user: userRouter,
  push: pushRouter,
  admin: adminRouter,
  secureLink: secureLinkRouter,
});

export type AppRouter = typeof appRouter;
