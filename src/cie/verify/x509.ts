export { x509 } from '../../shared/x509.js';
