/** An answer as any transport sends it. */
export interface Outgoing {
  status: number;
  /** Sent as it is; bytes are sent without encoding, which is what cached pages are kept as. */
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
  headers: Record<string, string>;
}

export const JSON_TYPE = "application/json";

/** Sentry's error answer: `{"detail": message}`. */
export const errorAnswer = (status: number, message: string, headers: Record<string, string> = {}): Outgoing => ({
  status,
  body: JSON.stringify({ detail: message }),
  contentType: JSON_TYPE,
  headers,
});

/** What Sentry answers for an unknown path or organization. */
export const notFound = () => errorAnswer(404, "The requested resource does not exist");

/** Sentry's 500, also the answer when the mock itself fails. */
export const internalError = (errorId: string): Outgoing => ({
  status: 500,
  body: JSON.stringify({ detail: "Internal Error", errorId }),
  contentType: JSON_TYPE,
  headers: {},
});
