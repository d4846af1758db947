// Shared by the studio's Playwright specs: the offline model they load and the step tabs.
import { expect, type Page } from '@playwright/test';

/** The small pretrained model under ../shared/models, served by the preview's local hub. */
export const MODEL_ID = 'studio-bert-tiny-mlm';

/** Opens a step of the studio by its tab, once the tab is enabled. */
export async function openStep(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await expect(tab).toBeEnabled();
  await tab.click();
}
