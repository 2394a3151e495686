/** A problem with the app definition: names the file and, where it applies, the key. */
export class AppConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | null,
    detail: string,
  ) {
    super(key ? `${file}: ${key}: ${detail}` : `${file}: ${detail}`);
    this.name = 'AppConfigError';
  }
}
