import { updateProfileInputSchema } from "@acme/validators";
import { phoneRegionFromEnv } from "../../config";

export const updateInput = updateProfileInputSchema(phoneRegionFromEnv());
