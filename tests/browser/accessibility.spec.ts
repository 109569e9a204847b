import { test } from '@playwright/test';
import { PAGES, visit } from './pages';
import { expectAccessible } from './support';

test.describe('WCAG 2.1 A/AA (axe-core)', () => {
  for (const target of PAGES) {
    test(target.name, async ({ page }) => {
      await visit(page, target);
      await expectAccessible(page, target.name);
    });
  }
});

test.describe('WCAG 2.1 A/AA (axe-core) at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });
  for (const target of PAGES.filter((p) => ['start page', 'registration with errors', 'home of a resident', 'services with a calculated price'].includes(p.name))) {
    test(target.name, async ({ page }) => {
      await visit(page, target);
      await expectAccessible(page, `${target.name} at 360 px`);
    });
  }
});
