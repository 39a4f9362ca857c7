const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `s` has the form of the ids this server issues (UUIDs, written in lower case; any case accepted here). */
export const isUuid = (s: string): boolean => UUID.test(s);
