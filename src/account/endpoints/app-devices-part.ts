import type { AppDevices } from '../../credentials/app-devices.js';
import type { Language } from '../../shared/language.js';
import type { AccountSession } from '../account-sessions.js';
import { cardProofOf } from '../credentials/card-proof-of-session.js';
import { displayDate } from '../display-date.js';

/** What the account page uses of the certified devices. */
export type AccountAppDevices = Pick<AppDevices, 'citizenIndex' | 'devicesOf' | 'makeDefault' | 'withdraw'>;

const it = {
  title: 'Dispositivi certificati (app CieID)',
  lead: 'I telefoni su cui hai certificato l’app CieID leggendo la CIE. Con uno di questi entri al livello 2: notifica dopo la password (sul dispositivo predefinito) o codice QR. Se perdi un telefono, revocalo qui.',
  none: 'Nessun dispositivo certificato. Per certificarne uno, apri l’app CieID e leggi la CIE.',
  certifiedOn: (date: string) => `certificato il ${date}`,
  lastUsedOn: (date: string) => `ultimo uso ${date}`,
  neverUsed: 'mai usato',
  isDefault: 'predefinito',
  makeDefault: 'Rendi predefinito',
  makeDefaultLabel: (name: string) => `Rendi predefinito ${name}`,
  withdraw: 'Revoca',
  withdrawLabel: (name: string) => `Revoca ${name}`,
};

const en: typeof it = {
  title: 'Certified devices (CieID app)',
  lead: 'The phones on which you certified the CieID app by reading your CIE. With one of them you sign in at level 2: a notification after the password (on the default device) or a QR code. If you lose a phone, withdraw it here.',
  none: 'No certified device. To certify one, open the CieID app and read your CIE.',
  certifiedOn: (date: string) => `certified on ${date}`,
  lastUsedOn: (date: string) => `last used ${date}`,
  neverUsed: 'never used',
  isDefault: 'default',
  makeDefault: 'Make default',
  makeDefaultLabel: (name: string) => `Make ${name} the default`,
  withdraw: 'Withdraw',
  withdrawLabel: (name: string) => `Withdraw ${name}`,
};

/** "Dispositivi certificati" on the signed-in page: the list, and the changes once a fresh card sign-in allows them. */
export async function appDevicesPart(devices: AccountAppDevices, session: AccountSession, lang: Language) {
  const list = await devices.devicesOf(devices.citizenIndex(session.fiscalCode));
  return {
    d: lang === 'en' ? en : it,
    canChange: cardProofOf(session) !== undefined,
    devices: list.map((device) => ({
      id: device.deviceId,
      name: device.name,
      isDefault: device.isDefault,
      created: displayDate(device.createdAt.getTime() / 1000, lang),
      lastUsed: device.lastUsedAt ? displayDate(device.lastUsedAt.getTime() / 1000, lang) : undefined,
    })),
  };
}
