// Issue 18: texts as a native speaker writes them, and one article for "record" in Dutch.
import { describe, it, expect } from '@jest/globals';
import { readResx } from './helpers';

describe('wording (issue 18)', () => {
  const fpSv = readResx('FinancePanel', 1053);
  const fpNl = readResx('FinancePanel', 1043);
  const ssSv = readResx('SyncStatus', 1053);
  const ssNl = readResx('SyncStatus', 1043);

  it('uses the Swedish texts the issue gives', () => {
    for (const sv of [fpSv, ssSv]) {
      expect(sv.Common_ConfigMissingUrl).toMatch(/^Bryggans adress är inte konfigurerad\./);
      expect(sv.Prop_BridgeScope_Display).toBe('Bryggans omfång');
    }
    expect(fpSv.Invoices_Empty).toBe('Inga fakturor den senaste tiden.');
    expect(fpSv.Finance_Overdue).toBe('Förfallet belopp');
    expect(fpSv.Orders_Date).toBe('Orderdatum');
    expect(fpSv.Conflict_Retry).toBe('Försök igen med min ändring');
  });

  it('uses the Dutch texts the issue gives', () => {
    expect(fpNl.Finance_Overdue).toBe('Achterstallig bedrag');
    expect(fpNl.Orders_Date).toBe('Orderdatum');
    expect(ssNl.Sync_Pending).toBe('Openstaande wijzigingen');
    expect(ssNl.Sync_State_pending).toBe('In afwachting');
    for (const nl of [fpNl, ssNl]) expect(nl.Common_Busy).toContain('is momenteel overbelast');
  });

  it('writes "het record" in Dutch, never "de record" or "deze record"', () => {
    for (const nl of [fpNl, ssNl]) {
      for (const [key, text] of Object.entries(nl)) {
        expect([key, /\b(de|deze|gekoppelde) record\b/i.test(text)]).toEqual([key, false]);
      }
    }
    expect(ssNl.Sync_NotLinked).toMatch(/^Dit record/);
    expect(ssNl.Sync_LinkedKey).toBe('Gekoppeld record');
  });

  it('translates the close button label', () => {
    for (const control of ['FinancePanel', 'SyncStatus']) {
      expect(readResx(control, 1043).Common_Close).toBe('Sluiten');
      expect(readResx(control, 1053).Common_Close).toBe('Stäng');
    }
  });
});
