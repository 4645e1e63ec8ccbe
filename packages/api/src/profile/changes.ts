import { normalizeUsername, type ProfileChanges, type ProfileField } from "@acme/validators";

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

/** The User columns to write for `changes` (the display name and the normalized username follow the username). */
export function profileUpdateData(changes: ProfileChanges) {
  return {
    ...(changes.username && {
      username: changes.username.to,
      name: changes.username.to,
      usernameNormalized: normalizeUsername(changes.username.to),
    }),
    ...(changes.phoneNumber && { phoneNumber: changes.phoneNumber.to }),
  };
}
