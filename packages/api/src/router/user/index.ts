import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { toPublicUser } from "../../profile/public-user";
import { perUserLimit } from "../../middleware/rate-limit";
import { protectedProcedure } from "../../trpc";
import { listProfileActivity } from "./activity.handler";
import { activityInput } from "./activity.schema";
import { updateProfile } from "./update.handler";
import { updateInput } from "./update.schema";

export const userRouter = {
  me: protectedProcedure.query(async ({ ctx }) => {
    const user = await ctx.db.user.findUnique({ where: { id: ctx.session.user.id } });
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists" });
    return { user: toPublicUser(user), defaultPhoneRegion: ctx.config.defaultPhoneRegion };
  }),
  update: protectedProcedure.use(perUserLimit("userUpdate")).input(updateInput).mutation(updateProfile),
  activity: protectedProcedure.input(activityInput).query(listProfileActivity),
} satisfies TRPCRouterRecord;
