import { test } from '@playwright/test';
import { visit, WALLET_PAGES } from './pages';
import { expectAccessible } from './support';

// The wallet's pages at full width are in accessibility.spec.ts (they are part of PAGES); on a
// phone they have more forms and more wrapping than most, so axe checks every one at 360 px too.
test.describe('wallet pages: WCAG 2.1 A/AA (axe-core) at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });
  for (const target of WALLET_PAGES) {
    test(target.name, async ({ page }) => {
      await visit(page, target);
      await expectAccessible(page, `${target.name} at 360 px`);
    });
  }
});
