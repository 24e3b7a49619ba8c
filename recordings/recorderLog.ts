/** The slice of a pino logger the recorder uses, so it can run without the server's logging setup. */
export type RecorderLog = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export const silentLog: RecorderLog = { info() {}, warn() {}, error() {} };
