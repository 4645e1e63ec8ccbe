"use client";

/** Whether the history is polling, when it last did, and a switch to pause it. */
export function LiveIndicator({
  live,
  setLive,
  lastPoll,
  pollError,
}: {
  live: boolean;
  setLive: (update: (live: boolean) => boolean) => void;
  lastPoll: Date | null;
  pollError: string | null;
}) {
  return (
    <>
      <span className="live-indicator" data-live={live && !pollError}>
        <span className="live-indicator__dot" aria-hidden="true" />
        {!live
          ? "Live updates off"
          : pollError
            ? "Live updates paused: connection problem"
            : lastPoll
              ? `Live · updated ${lastPoll.toLocaleTimeString()}`
              : "Live"}
      </span>
      <button
        type="button"
        className="button button--ghost button--small"
        aria-pressed={live}
        onClick={() => setLive((v) => !v)}
      >
        {live ? "Pause live updates" : "Resume live updates"}
      </button>
    </>
  );
}
