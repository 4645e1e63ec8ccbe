/** @jsxRuntime automatic @jsxImportSource react */
// (Set here, not only in tsconfig: tsx applies the tsconfig of the package that runs, e.g. apps/worker.)
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";

export interface ProfileUpdatedEmailProps {
  /** The notice's title (subject and heading); a profile update when absent. */
  title?: string;
  username: string;
  /** Already masked phrases, e.g. `phone number ending in 10 added`. */
  changes: string[];
  changedAt: Date;
  device: string;
  ipAddress: string | null;
  profileUrl: string;
  supportUrl: string;
  /** "This wasn't me — secure my account", for events the user may not have done. */
  secureUrl?: string | null;
  /** The password reset link: the email is the reset email. */
  resetUrl?: string | null;
}

const PROFILE_UPDATED_TITLE = "Your profile has been updated";

// React Email's `toPlainText`, compiled once: html-to-text's `convert()` compiles its selectors on
// every call, five times the cost of the conversion itself (same html-to-text version, same text).
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors });

const styles = {
  body: {
    backgroundColor: "#f4f5f7",
    fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
    margin: 0,
    padding: "24px 0",
  },
  container: { backgroundColor: "#ffffff", borderRadius: 8, margin: "0 auto", maxWidth: 520, padding: "32px" },
  heading: { color: "#111827", fontSize: 22, margin: "0 0 16px" },
  text: { color: "#374151", fontSize: 15, lineHeight: "24px", margin: "0 0 12px" },
  list: { color: "#111827", fontSize: 15, lineHeight: "24px", margin: "0 0 16px", paddingLeft: 20 },
  meta: { color: "#6b7280", fontSize: 13, lineHeight: "20px", margin: "0 0 4px" },
  warning: {
    backgroundColor: "#fff7ed",
    borderRadius: 6,
    color: "#9a3412",
    fontSize: 15,
    lineHeight: "22px",
    margin: "16px 0",
    padding: "12px 16px",
  },
  supportLink: { color: "#7c2d12", fontWeight: 600, textDecoration: "underline" },
  secureButton: {
    backgroundColor: "#b91c1c",
    borderRadius: 6,
    color: "#ffffff",
    display: "inline-block",
    fontSize: 15,
    fontWeight: 600,
    marginTop: 8,
    padding: "10px 18px",
    textDecoration: "none",
  },
  button: {
    backgroundColor: "#2563eb",
    borderRadius: 6,
    color: "#ffffff",
    fontSize: 15,
    padding: "10px 18px",
    textDecoration: "none",
  },
} as const;

// The time as a person reads it, with its zone: we do not know the reader's, so UTC, named.
const whenFormat = new Intl.DateTimeFormat("en-US", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "May 1, 2026 at 10:00 AM UTC". */
export function formatChangeTime(date: Date): string {
  return `${whenFormat.format(date)} UTC`;
}

const capitalize = (line: string) => line.charAt(0).toUpperCase() + line.slice(1);

export function ProfileUpdatedEmail({
  title = PROFILE_UPDATED_TITLE,
  username,
  changes,
  changedAt,
  device,
  ipAddress,
  profileUrl,
  supportUrl,
  secureUrl = null,
  resetUrl = null,
}: ProfileUpdatedEmailProps) {
  const when = formatChangeTime(changedAt);
  return (
    <Html lang="en">
      <Head>
        <title>{title}</title>
      </Head>
      {/* The inbox preview line says what changed. */}
      <Preview>{changes.map(capitalize).join(" · ")}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {title}
          </Heading>
          {resetUrl ? (
            <ResetRequest username={username} resetUrl={resetUrl} />
          ) : (
            <>
              <Text style={styles.text}>
                Hi {username},{" "}
                {title === PROFILE_UPDATED_TITLE
                  ? "these changes were made to your account:"
                  : "this happened on your account:"}
              </Text>
              <ul style={styles.list}>
                {changes.map((line) => (
                  <li key={line}>{capitalize(line)}</li>
                ))}
              </ul>
            </>
          )}
          <Text style={styles.meta}>When: {when}</Text>
          <Text style={styles.meta}>
            From: {device}
            {ipAddress ? ` (IP ${ipAddress})` : ""}
          </Text>
          {secureUrl ? (
            <Section style={styles.warning}>
              Not you? One click undoes it, signs everyone out of your account and sends you a link to choose a new
              password.
              <br />
              <Button href={secureUrl} style={styles.secureButton}>
                This wasn&apos;t me — secure my account
              </Button>
            </Section>
          ) : (
            !resetUrl && (
              <Section style={styles.warning}>
                If it was not done by you, please{" "}
                <Link href={supportUrl} style={styles.supportLink}>
                  contact support
                </Link>
                .
              </Section>
            )
          )}
          {!resetUrl && (
            <Button href={profileUrl} style={styles.button}>
              Review your profile
            </Button>
          )}
          <Hr />
          <Text style={styles.meta}>You receive this email because it is about the security of your account.</Text>
        </Container>
      </Body>
    </Html>
  );
}

function ResetRequest({ username, resetUrl }: { username: string; resetUrl: string }) {
  return (
    <>
      <Text style={styles.text}>
        Hi {username}, a new password was asked for on your account. The link works once, for one hour.
      </Text>
      <Button href={resetUrl} style={styles.button}>
        Choose a new password
      </Button>
      <Text style={{ ...styles.text, marginTop: 16 }}>
        If you did not ask for it, ignore this email: your password stays as it is.
      </Text>
    </>
  );
}

export async function renderProfileUpdatedEmail(
  props: ProfileUpdatedEmailProps,
): Promise<{ subject: string; html: string; text: string }> {
  const element = <ProfileUpdatedEmail {...props} />;
  // One React render: the plain text is what `render(…, { plainText: true })` derives from the same HTML.
  const html = await render(element);
  return { subject: props.title ?? PROFILE_UPDATED_TITLE, html, text: toPlainText(html) };
}
