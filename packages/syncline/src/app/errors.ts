/** A problem with the app definition: names the file, the line when known, and, where it applies, the key. */
export class AppConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | null,
    readonly detail: string,
    readonly line?: number,
  ) {
    const at = line ? `${file}:${line}` : file;
    super(key ? `${at}: ${key}: ${detail}` : `${at}: ${detail}`);
    this.name = 'AppConfigError';
  }
}
