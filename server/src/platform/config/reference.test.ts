import { renderConfigReference } from './reference';
import { configVariables, listConfigVariables } from './schema';

describe('renderConfigReference', () => {
  it('renders the same text every time (the staleness check compares it with the committed file)', () => {
    expect(renderConfigReference()).toBe(renderConfigReference());
  });

  it('says it is generated, and by which command', () => {
    expect(renderConfigReference()).toMatch(
      /^# Configuration reference\n\nGenerated from `server\/src\/platform\/config\/schema\.ts` by `npm run config:docs`/,
    );
  });

  it('gives every variable its own section with its form and default', () => {
    const text = renderConfigReference();
    for (const name of listConfigVariables()) {
      const section = text.split(`### \`${name}\`\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section).toMatch(/- \*\*Accepts:\*\* /);
      expect(section).toMatch(/- \*\*Default:\*\* /);
    }
    expect(text.match(/^### /gm)).toHaveLength(listConfigVariables().length);
  });

  it('names each old variable with the one that replaced it', () => {
    const text = renderConfigReference();
    for (const declared of configVariables()) {
      if (declared.formerly) expect(text).toContain(`| \`${declared.formerly.name}\` | [\`${declared.name}\`]`);
    }
  });

  it('shows defaults that differ by environment for each of them', () => {
    const text = renderConfigReference();
    expect(text).toContain('### `HOST`');
    expect(text).toMatch(/### `HOST`[^#]*\*\*Default:\*\* `0\.0\.0\.0` in production, `127\.0\.0\.1` in development and test\./);
    expect(text).toMatch(/### `JWT_SECRET`[^#]*\*\*Production:\*\* required/);
  });
});
