/** Build-time settings Vite puts into the client (`VITE_*` variables at `npm run build:client`). */
declare global {
  interface ImportMetaEnv {
    readonly VITE_HELP_CONTACT?: string;
  }
  interface ImportMeta {
    readonly env: ImportMetaEnv;
  }
}

/**
 * Who to call when something goes wrong, e.g. "区司法局 0571-12345678": the
 * session's own contact when the server sends one, else the deployment's
 * VITE_HELP_CONTACT, else nothing (the message then says to ask whoever sent the link).
 */
export function helpContact(fromSession: string | undefined): string | undefined {
  const built = import.meta.env?.VITE_HELP_CONTACT?.trim();
  return fromSession?.trim() || built || undefined;
}
