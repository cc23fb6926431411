import { httpRequests, statusClass } from './metrics.js';

/**
 * The request-logging hook that records each answer's time by status class. Each class's histogram
 * child is looked up once (prom-client otherwise sorts and joins the labels on every observation):
 * this runs on every request.
 */
export function httpRequestMetrics(service: string): (status: number, seconds: number) => void {
  const children = new Map<string, ReturnType<typeof httpRequests.labels>>();
  return (status, seconds) => {
    const statusClassLabel = statusClass(status);
    let child = children.get(statusClassLabel);
    if (!child) {
      child = httpRequests.labels({ service, status_class: statusClassLabel });
      children.set(statusClassLabel, child);
    }
    child.observe(seconds);
  };
}
