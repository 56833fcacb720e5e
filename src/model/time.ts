/** Time units in epoch milliseconds, declared once for every hour and day bucket of the model. */
export const HOUR_MS = 3600 * 1000;
export const DAY_MS = 24 * HOUR_MS;
