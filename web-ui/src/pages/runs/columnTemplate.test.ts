import { describe, expect, it } from 'vitest';
import { columnTemplate } from './columnTemplate';

describe('columnTemplate', () => {
  it('lets the flexible column take the room a wider table leaves, the others keeping their widths', () => {
    expect(columnTemplate(44, [{ width: 72 }, { width: 200, flex: true }, { width: 110 }, { width: 130 }]))
      .toBe('44px 72px minmax(200px, 1fr) 110px 130px');
  });
  it('stretches the last column when none is flexible', () => {
    expect(columnTemplate(44, [{ width: 72 }, { width: 130 }])).toBe('44px 72px minmax(130px, 1fr)');
  });
});
