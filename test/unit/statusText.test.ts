// What the status bar item says: the scan's progress while it runs, then the finding counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusText } from '../../client/src/statusText.ts';

const none = { error: 0, warning: 0, info: 0 };

describe('the status bar item', () => {
  it('shows indexing progress while the scan runs, whatever the counts so far', () => {
    const shown = statusText({ scanning: true, done: 1200, total: 4000 }, { error: 3, warning: 1, info: 0 });
    assert.equal(shown.text, '$(sync~spin) AKS: indexing 1,200/4,000');
    assert.equal(shown.label, 'AKS Network Lens: indexing 1,200/4,000 files');
    assert.match(shown.tooltip, /1,200 of 4,000 files read/);
  });

  it('then the counts: errors and warnings always, infos when there are any', () => {
    assert.deepEqual(statusText({ scanning: false }, { error: 11, warning: 3, info: 1 }), {
      text: 'AKS $(error) 11 $(warning) 3 $(info) 1',
      tooltip: 'AKS Network Lens: 11 errors, 3 warnings, 1 info in the workspace. Click to open the Problems panel.',
      label: 'AKS Network Lens: 11 errors, 3 warnings, 1 info',
    });
    const clean = statusText({ scanning: false }, none);
    assert.equal(clean.text, 'AKS $(error) 0 $(warning) 0');
    assert.equal(clean.label, 'AKS Network Lens: 0 errors, 0 warnings');
    assert.equal(statusText({ scanning: false }, { error: 1, warning: 1, info: 0 }).label, 'AKS Network Lens: 1 error, 1 warning');
  });

  it('says when the server is starting or not running', () => {
    assert.equal(statusText('starting', none).label, 'AKS Network Lens: starting');
    assert.equal(statusText('stopped', none).text, '$(circle-slash) AKS');
  });
});
