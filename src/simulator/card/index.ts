export { VirtualCieCard, type VirtualCieCardOptions } from './virtual-cie-card.js';
export {
  PIN_TRIES,
  PUK_TRIES,
  type CardFamily,
  type CardHolder,
  type CardMutableState,
  type CieCardData,
  type DeviceAuthCaPublic,
  type DhGroup,
} from './card-data.js';
export { atrFor } from './atr.js';
export { formatCardSummary } from './card-summary.js';
export { loadCardFile, lockCardFile, openCardFile, saveCardFile, saveCardFileSync, type CardFileLock } from './card-file.js';
export { parseCard, serializeCard } from './card-file-format.js';
export {
  createDeviceAuthKeys,
  deviceAuthCaPublic,
  readDeviceAuthKeysFile,
  serializeDeviceAuthKeys,
  writeDeviceAuthKeysFile,
  type DeviceAuthKeys,
} from './device-auth-keys.js';
export { mintCard, type CertificateIssuer, type MintCardParams, type SecurityObjectSigner } from './mint-card.js';
export { dataGroupContents } from './data-groups.js';
export { RFC5114_GROUP_2048_256 } from './rfc5114-group.js';
export type { RandomSource } from './key-agreement.js';
export { VirtualCardError, type VirtualCardErrorCode } from './errors.js';
