import { httpRequests, statusClass } from './metrics.js';

/** The request-logging hook that records each answer's time by status class. */
export function httpRequestMetrics(service: string): (status: number, seconds: number) => void {
  return (status, seconds) => httpRequests.observe({ service, status_class: statusClass(status) }, seconds);
}
