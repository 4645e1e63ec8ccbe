"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import type { RouterOutputs } from "@acme/api";
import { USERNAME_RULE, formatPhoneNumber, phoneNumberSchema, usernameSchema } from "@acme/validators";
import { EmailAddress } from "~/components/ui/email-address";
import { Field } from "~/components/ui/field";
import { capitalize, describeFieldChange } from "~/lib/format";
import { toFormErrors, type FormErrors } from "~/lib/trpc-errors";
import { api } from "~/trpc/react";

type Me = RouterOutputs["user"]["me"];
type Outcome = { changes: { field: string; from: string | null; to: string | null }[] } | null;

/** The phone field's text for a stored number: formatted, empty when there is none. */
const phoneText = (stored: string | null) => (stored ? formatPhoneNumber(stored) : "");

export function ProfileForm({ initialMe }: { initialMe: Me }) {
  const router = useRouter();
  const utils = api.useUtils();
  const me = api.user.me.useQuery(undefined, { initialData: initialMe }).data;
  const region = me.defaultPhoneRegion;

  const [username, setUsername] = useState(me.user.username);
  const [phone, setPhone] = useState(phoneText(me.user.phoneNumber));
  const [serverErrors, setServerErrors] = useState<FormErrors>({ fields: {}, form: null });
  const [outcome, setOutcome] = useState<Outcome>(null);
  const inFlight = useRef(false);
  const update = api.user.update.useMutation();

  // The same rules the API applies, run on every keystroke.
  const usernameCheck = usernameSchema.safeParse(username);
  const phoneCheck = phone.trim() === "" ? null : phoneNumberSchema(region).safeParse(phone);
  const usernameError =
    serverErrors.fields.username ?? (usernameCheck.success ? null : (usernameCheck.error.issues[0]?.message ?? null));
  const phoneError =
    serverErrors.fields.phoneNumber ??
    (phoneCheck && !phoneCheck.success ? (phoneCheck.error.issues[0]?.message ?? null) : null);
  const normalizedPhone = phoneCheck?.success ? phoneCheck.data : null;

  const dirty =
    username.trim() !== me.user.username || (normalizedPhone ?? (phone.trim() ? phone : null)) !== me.user.phoneNumber;
  const invalid = Boolean(usernameError || phoneError);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // One update per click, however fast the clicks: the ref flips before React re-renders.
    if (inFlight.current || invalid) return;
    inFlight.current = true;
    setOutcome(null);
    setServerErrors({ fields: {}, form: null });
    try {
      const before = me.user;
      const sent = { username, phone };
      const result = await update.mutateAsync({
        username: username.trim(),
        phoneNumber: phone.trim() === "" ? null : phone,
      });
      // Show the saved values, but never over what the user typed while the save was in flight.
      setUsername((current) => (current === sent.username ? result.user.username : current));
      setPhone((current) => (current === sent.phone ? phoneText(result.user.phoneNumber) : current));
      setOutcome({ changes: result.changed.map((field) => ({ field, from: before[field], to: result.user[field] })) });
      utils.user.me.setData(undefined, (old) => (old ? { ...old, user: result.user } : old));
      if (result.changed.length) {
        void utils.user.activity.invalidate();
        // The header shows the username from the session: re-render the server parts.
        if (result.changed.includes("username")) router.refresh();
      }
    } catch (error) {
      setServerErrors(toFormErrors(error));
    } finally {
      inFlight.current = false;
    }
  }

  const pending = update.isPending;

  return (
    <section className="card" aria-labelledby="profile-form-title">
      <h2 id="profile-form-title" className="card__title">
        Your details
      </h2>
      <dl className="facts facts--compact">
        <div>
          <dt>Email</dt>
          <dd>
            <EmailAddress address={me.user.email} />
          </dd>
        </div>
        <div>
          <dt>Username</dt>
          <dd>{me.user.username}</dd>
        </div>
        <div>
          <dt>Phone</dt>
          <dd>
            {me.user.phoneNumber ? formatPhoneNumber(me.user.phoneNumber) : <span className="muted">Not set</span>}
          </dd>
        </div>
      </dl>

      <form className="form" onSubmit={onSubmit} noValidate aria-busy={pending}>
        <h3 className="form__title">Edit</h3>
        {serverErrors.form && (
          <p className="alert alert--error" role="alert">
            {serverErrors.form}
          </p>
        )}
        <Field
          id="username"
          label="Username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          maxLength={40}
          onChange={(e) => {
            setUsername(e.target.value);
            setOutcome(null);
            if (serverErrors.fields.username)
              setServerErrors((s) => ({ ...s, fields: { ...s.fields, username: undefined } }));
          }}
          error={usernameError}
          hint={USERNAME_RULE}
        />
        <Field
          id="phone"
          label="Phone number"
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          value={phone}
          placeholder={region === "US" ? "(415) 555-0123" : "+44 20 7946 0958"}
          onChange={(e) => {
            setPhone(e.target.value);
            setOutcome(null);
            if (serverErrors.fields.phoneNumber)
              setServerErrors((s) => ({ ...s, fields: { ...s.fields, phoneNumber: undefined } }));
          }}
          error={phoneError}
          success={
            normalizedPhone && formatPhoneNumber(normalizedPhone) !== phone.trim()
              ? `Will be saved as ${formatPhoneNumber(normalizedPhone)}`
              : null
          }
          hint={
            <>
              {/* The error already says which formats work. */}
              {!phoneError && <>International format (+44 20 7946 0958) or a {region} number. </>}
              Leave empty to remove your number.
              {me.user.phoneNumber && phone.trim() === "" && <strong> Your number will be removed.</strong>}
            </>
          }
        />
        <div className="form__actions">
          <button
            type="submit"
            className="button button--primary"
            suppressHydrationWarning
            disabled={pending || invalid || !dirty}
            aria-busy={pending}
            aria-describedby={!dirty && !pending ? "save-hint" : undefined}
          >
            {pending ? "Saving…" : "Save changes"}
          </button>
          {!dirty && !pending && (
            <span id="save-hint" className="subtle">
              Change a field to save.
            </span>
          )}
          {dirty && !pending && (
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                setUsername(me.user.username);
                setPhone(phoneText(me.user.phoneNumber));
                setServerErrors({ fields: {}, form: null });
              }}
            >
              Reset
            </button>
          )}
        </div>
        <div role="status" aria-live="polite" className="form__status">
          {outcome &&
            (outcome.changes.length ? (
              <div className="alert alert--success">
                <p>
                  <strong>Saved.</strong> We&apos;re confirming this by email and on your devices.
                </p>
                <ul>
                  {outcome.changes.map(({ field, from, to }) => (
                    <li key={field}>{capitalize(describeFieldChange(field, { from, to }))}</li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="alert alert--info">Nothing changed — your profile already has these values.</p>
            ))}
        </div>
      </form>
    </section>
  );
}
