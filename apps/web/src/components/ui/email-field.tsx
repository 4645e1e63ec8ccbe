import type { ComponentProps } from "react";
import { Field } from "./field";

/** The account email input every auth form asks for: one set of autofill and keyboard hints. */
export function EmailField(props: Omit<ComponentProps<typeof Field>, "id" | "label" | "type">) {
  return <Field id="email" label="Email" type="email" autoComplete="email" inputMode="email" required {...props} />;
}
