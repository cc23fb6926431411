import { loggerFor } from '../shared/logger.js';

/**
 * What would wake the CieID app when a push approval opens (FCM, APNs). A wake-up carries nothing:
 * the app then pulls its pending approval with a device-signed request, so no approval content
 * passes through a third party's push service.
 */
export interface AppNotifier {
  notify(deviceId: string): Promise<void>;
}

/** The default: logs at debug and does nothing; the app pulls when it is opened (docs/app-protocol.md). */
export const pullOnlyNotifier: AppNotifier = {
  async notify(deviceId) {
    loggerFor('credentials').debug({ event: 'app_push_opened', deviceId }, 'credentials: push approval opened (the app pulls it)');
  },
};
