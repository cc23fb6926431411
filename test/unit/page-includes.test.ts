import { jest } from '@jest/globals';
import fs from 'node:fs';
import Koa from 'koa';
import request from 'supertest';
import { pageData } from '../../src/interaction/interaction-pages.js';
import { renderPage } from '../../src/shared/html.js';

/** The login page as the card login shows it (both level-3 methods), and the consent page. */
const pages: [view: string, data: Record<string, unknown>][] = [
  ['login', pageData('it', (m) => m.loginTitle, { uid: 'uid-1', clientName: 'Comune di Prova', notice: undefined, onPhone: false, methods: [
    { id: 'cie-card', choiceView: 'sign-in/card-choice', view: 'sign-in/card-choice', startPath: '/interaction/uid-1/cie' },
    { id: 'smartphone', choiceView: 'sign-in/smartphone-choice', view: 'sign-in/smartphone-choice', startPath: '/interaction/uid-1/smartphone' },
  ] })],
  ['consent', pageData('en', (m) => m.consentTitle, { uid: 'uid-1', clientName: 'Comune di Prova', attributes: [], offlineRequested: false })],
];

describe('the login path\'s pages resolve their includes without asking the disk', () => {
  for (const [view, data] of pages) {
    test(`${view}: the page frame and the method entries are drawn, and a render stats no file`, async () => {
      const app = new Koa();
      app.use((ctx) => renderPage(ctx, view, data));
      const first = await request(app.callback()).get('/');
      expect(first.status).toBe(200);
      // The frame (partials/head and foot) and, on the login page, each method's entry.
      expect(first.text).toMatch(/<!doctype html>/i);
      expect(first.text).toContain('</html>');
      expect(first.text).toContain('Comune di Prova');
      if (view === 'login') {
        expect(first.text).toContain('/interaction/uid-1/cie');
        expect(first.text).toContain('/interaction/uid-1/smartphone');
      }
      const stats = jest.spyOn(fs, 'existsSync');
      try {
        const again = await request(app.callback()).get('/');
        expect(again.text).toBe(first.text);
        expect(stats).not.toHaveBeenCalled();
      } finally {
        stats.mockRestore();
      }
    });
  }
});
