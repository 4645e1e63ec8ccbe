import { forbidden } from "next/navigation";

// Old links to /forbidden get the same 403 page.
export default function ForbiddenPage() {
  forbidden();
}
