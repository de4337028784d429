import { afterEach, describe, expect, it } from 'vitest';
import { browserInstallSteps, chromiumExecutable, findChromium, NO_BROWSER_MESSAGE } from '../../../e2e/browser';

describe('the end-to-end browser', () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it('CHROMIUM_PATH wins over any system browser', () => {
    process.env.CHROMIUM_PATH = '/opt/my/chrome';
    expect(findChromium()).toBe('/opt/my/chrome');
    expect(chromiumExecutable()).toBe('/opt/my/chrome');
  });

  it('installs from Debian only as root or with sudo, on Linux with apt-get; Playwright’s download is always the fallback', () => {
    expect(browserInstallSteps({ isRoot: true, hasSudo: false, hasApt: true, platform: 'linux' })).toEqual(['apt', 'playwright']);
    expect(browserInstallSteps({ isRoot: false, hasSudo: true, hasApt: true, platform: 'linux' })).toEqual(['apt', 'playwright']);
    expect(browserInstallSteps({ isRoot: false, hasSudo: false, hasApt: true, platform: 'linux' })).toEqual(['playwright']);
    expect(browserInstallSteps({ isRoot: true, hasSudo: false, hasApt: false, platform: 'linux' })).toEqual(['playwright']);
    expect(browserInstallSteps({ isRoot: true, hasSudo: true, hasApt: true, platform: 'darwin' })).toEqual(['playwright']);
  });

  it('the message for a machine where nothing could be installed says exactly what to run', () => {
    expect(NO_BROWSER_MESSAGE).toContain('apt-get install chromium');
    expect(NO_BROWSER_MESSAGE).toContain('npx playwright install chromium');
    expect(NO_BROWSER_MESSAGE).toContain('CHROMIUM_PATH');
  });
});
