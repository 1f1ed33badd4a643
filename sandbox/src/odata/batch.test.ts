import { fileURLToPath } from 'node:url';
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseBatch, serializeBatchResponse } from './batch';
import { ODataSyntaxError } from './filter';

const FIX = fileURLToPath(new URL('../../../test/fixtures/real', import.meta.url));

describe('$batch', () => {
  it('parses the real F&O changeset request fixture', () => {
    const raw = readFileSync(`${FIX}/fo-odata-batch-request-two-inserts-one-changeset.http`, 'utf8');
    const body = raw.split('\n').slice(3).join('\r\n'); // drop the request line, header and blank line
    const parts = parseBatch(body, 'multipart/mixed; boundary=batch_boundary');
    expect(parts).toHaveLength(1);
    const cs = parts[0];
    if (cs.kind !== 'changeset') throw new Error('expected a changeset');
    expect(cs.requests.map((r) => [r.method, r.url, r.contentId])).toEqual([
      ['POST', 'https://{{base_url}}/data/CustomerGroups', '1'], ['POST', 'https://{{base_url}}/data/CustomerGroups', '2'],
    ]);
    expect(JSON.parse(cs.requests[1].body)).toMatchObject({ CustomerGroupId: 'Batch2', dataAreaId: 'usmf' });
  });
  it('serializes in the structure of the real F&O changeset error response', () => {
    const { body, contentType } = serializeBatchResponse([{ kind: 'changeset', responses: [{ status: 500, contentId: '1',
      headers: { 'Content-Type': 'application/json; odata.metadata=minimal; charset=utf-8', 'OData-Version': '4.0' }, body: '{"error":{}}' }] }]);
    const fixture = readFileSync(`${FIX}/fo-odata-batch-changeset-error-response.http`, 'utf8');
    const shape = (s: string): string[] => s.replace(/\r\n/g, '\n').split('\n')
      .map((l) => l.replace(/_[0-9a-f-]{36}/g, '_ID')).filter((l) => !l.startsWith(' ') && !l.startsWith('{') && !l.startsWith('"') && !l.startsWith('}'));
    expect(shape(body).filter((l) => l !== '')).toEqual(shape(fixture).filter((l) => l !== ''));
    expect(contentType).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
  });
  it('rejects a batch without its closing delimiter or boundary', () => {
    expect(() => parseBatch('--b\r\nContent-Type: application/http\r\n\r\nGET /x HTTP/1.1\r\n', 'multipart/mixed; boundary=b')).toThrow(ODataSyntaxError);
    expect(() => parseBatch('', 'application/json')).toThrow(ODataSyntaxError);
  });
});
