import type { LookupAddress } from "node:dns";
import { Agent, type AgentOptions } from "node:https";
import { systemLookup, vettedAddresses, type Lookup, type PushEndpointPolicy } from "./push-endpoint";

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address?: string | LookupAddress[],
  family?: number,
) => void;

/**
 * An https Agent that resolves each host itself and connects only to addresses it vetted, so a name
 * that passed the subscribe-time check cannot be re-pointed at an internal address (DNS rebinding).
 * IP literals skip DNS; they are checked by normalizePushEndpoint before a send.
 */
export function createGuardedAgent(
  policy: PushEndpointPolicy,
  options: AgentOptions = {},
  lookup: Lookup = systemLookup,
): Agent {
  return new Agent({
    ...options,
    lookup: (hostname: string, lookupOptions: { all?: boolean }, callback: LookupCallback) => {
      vettedAddresses(hostname, policy, lookup).then(
        (addresses) => {
          if (lookupOptions.all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(Object.assign(error, { code: "EPUSHENDPOINT" })),
      );
    },
  } as AgentOptions);
}
