/** The roles of staff accounts: a module of its own so accounts, sessions and permissions can all name them without importing each other. */

/** What an account may do; IT administrators manage booths and accounts but see no media or records. */
export const ROLES = ['officer', 'supervisor', 'it_admin'] as const;
export type Role = (typeof ROLES)[number];
