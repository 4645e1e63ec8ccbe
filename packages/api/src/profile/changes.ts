import type { ProfileChanges, ProfileField } from "@acme/validators";

export interface ProfileValues {
  username: string;
  phoneNumber: string | null;
}

/** The fields whose requested value differs from the stored one, in a stable order. */
export function diffProfile(
  current: ProfileValues,
  requested: Partial<ProfileValues>,
): { changedFields: ProfileField[]; changes: ProfileChanges } {
  const changes: ProfileChanges = {};
  const changedFields: ProfileField[] = [];
  if (requested.username !== undefined && requested.username !== current.username) {
    changes.username = { from: current.username, to: requested.username };
    changedFields.push("username");
  }
  if (requested.phoneNumber !== undefined && requested.phoneNumber !== current.phoneNumber) {
    changes.phoneNumber = { from: current.phoneNumber, to: requested.phoneNumber };
    changedFields.push("phoneNumber");
  }
  return { changedFields, changes };
}
