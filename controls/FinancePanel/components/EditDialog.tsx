// Edit credit limit and on-hold status, then confirm "before -> after" before anything is sent.
import * as React from 'react';
import { DefaultButton, Dialog, DialogFooter, DialogType, Dropdown, MessageBarType, PrimaryButton, Stack, Text, TextField, type IDropdownOption } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { Icon, iconRenderer } from '../../common/components/icons';

// Buttons with space between them, kept on one line (long Dutch labels wrap inside the button instead).
const FOOTER_STYLES = { actions: { whiteSpace: 'nowrap' }, actionsRight: { display: 'flex', justifyContent: 'flex-end', gap: 8, margin: 0 }, action: { margin: 0 } } as const;

const renderCaret = () => <Icon name="chevronDown" size={12} />;
import type { EditableField, FinanceEdit, FinanceSummary, OnHoldStatus } from '../../../bridge-service/src/contracts';
import type { Formatter } from '../../common/formatter';
import { fill, type Translate } from '../../common/strings';
import { buildEdit, changeLines, ON_HOLD_VALUES, onHoldLabel, type Draft } from '../finance-view';

export interface EditDialogProps {
  summary: FinanceSummary;
  editable: EditableField[];
  initialDraft?: Draft;
  fmt: Formatter;
  t: Translate;
  saving: boolean;
  onCancel: () => void;
  onSave: (edit: FinanceEdit, draft: Draft) => void;
}

export const EditDialog = React.memo(function EditDialog({ summary, editable, initialDraft, fmt, t, saving, onCancel, onSave }: EditDialogProps) {
  const [step, setStep] = React.useState<'edit' | 'confirm'>('edit');
  const [amountText, setAmountText] = React.useState(() => fmt.number(initialDraft?.creditLimit ?? summary.creditLimit));
  const [onHold, setOnHold] = React.useState<OnHoldStatus>(initialDraft?.onHoldStatus ?? summary.onHoldStatus);
  const [problem, setProblem] = React.useState<string | null>(null);

  const amount = fmt.parseAmount(amountText);
  const draft: Draft = {
    creditLimit: editable.includes('creditLimit') && amount !== null ? amount : undefined,
    onHoldStatus: editable.includes('onHoldStatus') ? onHold : undefined,
  };
  const edit = buildEdit(summary, draft, editable);

  const options = React.useMemo<IDropdownOption[]>(() => ON_HOLD_VALUES.map((v) => ({ key: v, text: onHoldLabel(v, t) })), [t]);

  const review = () => {
    if (editable.includes('creditLimit') && (amount === null || amount < 0)) {
      setProblem(fill(t('Edit_InvalidAmount'), fmt.number(2500)));
      return;
    }
    if (!edit) {
      setProblem(t('Edit_NoChange'));
      return;
    }
    setProblem(null);
    setStep('confirm');
  };

  return (
    <Dialog
      hidden={false}
      onDismiss={saving ? undefined : onCancel}
      dialogContentProps={{
        type: DialogType.normal,
        title: step === 'edit' ? t('Edit_Title') : t('Confirm_Title'),
        // Fluent's own close button draws a font icon (a CDN); this one is inline SVG, with a translated label.
        showCloseButton: false,
        topButtonsProps: saving ? [] : [{ onRenderIcon: iconRenderer('clear'), ariaLabel: t('Common_Close'), title: t('Common_Close'), onClick: onCancel }],
      }}
      modalProps={{ isBlocking: true }}
    >
      {step === 'edit' ? (
        <Stack tokens={{ childrenGap: 12 }}>
          {editable.includes('creditLimit') && (
            <TextField
              label={`${t('Finance_CreditLimit')} (${summary.currency})`}
              value={amountText}
              onChange={(_e, v) => setAmountText(v ?? '')}
              inputMode="decimal"
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  review();
                }
              }}
              autoFocus
            />
          )}
          {editable.includes('onHoldStatus') && (
            <Dropdown label={t('Finance_OnHold')} options={options} onRenderCaretDown={renderCaret} selectedKey={onHold} onChange={(_e, o) => o && setOnHold(o.key as OnHoldStatus)} />
          )}
          {problem && <Bar messageBarType={MessageBarType.warning} role="alert">{problem}</Bar>}
        </Stack>
      ) : (
        <Stack tokens={{ childrenGap: 8 }}>
          <Text>{t('Confirm_Text')}</Text>
          <ul aria-label={t('Confirm_Title')}>
            {edit && changeLines(summary, edit, fmt, t).map((line) => <li key={line}>{line}</li>)}
          </ul>
        </Stack>
      )}
      <DialogFooter styles={FOOTER_STYLES}>
        {step === 'edit' ? (
          <>
            <PrimaryButton onClick={review}>{t('Edit_Next')}</PrimaryButton>
            <DefaultButton onClick={onCancel}>{t('Common_Cancel')}</DefaultButton>
          </>
        ) : (
          <>
            <PrimaryButton disabled={saving} onClick={() => edit && onSave(edit, draft)}>{saving ? t('Result_Saving') : t('Confirm_Save')}</PrimaryButton>
            <DefaultButton disabled={saving} onClick={() => setStep('edit')}>{t('Confirm_Back')}</DefaultButton>
          </>
        )}
      </DialogFooter>
    </Dialog>
  );
});
