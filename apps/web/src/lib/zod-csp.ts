import { z } from "zod";

// Under the strict CSP zod's one-time probe for `new Function` is reported as a violation; its
// interpreted parsers need no eval at all.
z.config({ jitless: true });
