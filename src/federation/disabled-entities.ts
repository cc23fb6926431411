import { readFileSync, statSync } from 'node:fs';
import { FederationError } from './federation-error.js';

/** Entity ids compared without trailing slashes: an operator disabling `https://rp.example` means `https://rp.example/` too. */
const normalised = (entityId: string) => entityId.replace(/\/+$/, '');

/**
 * The FEDERATION_DISABLED_ENTITIES file: entity ids the operator refuses whatever their trust chain,
 * one a line (blank lines and `#` comments ignored). Re-read when its modification time or size
 * changes, so that disabling an RP needs no restart; a stat per check is cheaper than a login.
 * If the file disappears after start, the last list read stays in force (fail closed).
 */
export class DisabledEntities {
  private entities = new Set<string>();
  private version = '';

  constructor(private readonly path: string) {
    if (!this.reloadIfChanged()) throw new FederationError('settings_file_invalid', `disabled entities file ${path} cannot be read`, { path });
  }

  has(entityId: string): boolean {
    this.reloadIfChanged();
    return this.entities.has(normalised(entityId));
  }

  /** False when the file cannot be read (the previous list is kept). */
  private reloadIfChanged(): boolean {
    try {
      const stat = statSync(this.path);
      const version = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      if (version === this.version) return true;
      const lines = readFileSync(this.path, 'utf8').split(/\r?\n/);
      this.entities = new Set(lines.map((line) => line.replace(/#.*/, '').trim()).filter(Boolean).map(normalised));
      this.version = version;
      return true;
    } catch {
      return false;
    }
  }
}
