// The user's Syncline config folder: where the local certificate authority lives, shared by every app and data
// folder (':memory:' included), so the user trusts it once — like mkcert's CAROOT and Caddy's data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `SYNCLINE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/syncline`, else `~/.config/syncline` (`%APPDATA%` on Windows). */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SYNCLINE_CONFIG_DIR) return env.SYNCLINE_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'syncline');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'syncline');
  return join(env.HOME || homedir(), '.config', 'syncline');
}
