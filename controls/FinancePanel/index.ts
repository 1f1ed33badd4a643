import * as React from 'react';
import { FinancePanel as FinancePanelView } from './components/FinancePanel';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { localeFor } from '../common/locale';
import { dependencyLoader, formatterFor, readHostContext } from '../common/host-context';

export class FinancePanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  init(): void {
    // Nothing to prepare: configuration is resolved inside the component, so errors render as messages.
  }

  updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const p = context.parameters;
    const host = readHostContext(context, p.recordField);
    const locale = localeFor(context.userSettings.languageId, host.locale);
    return React.createElement(FinancePanelView, {
      accountId: host.recordId,
      // Organisations are accounts, persons are contacts: the form's table unless the form names one.
      table: p.tableName?.raw?.trim() || host.tableName || 'account',
      settings: {
        bridgeUrl: p.bridgeUrl?.raw, bridgeAppId: p.bridgeAppId?.raw, bridgeScope: p.bridgeScope?.raw,
        clientAppId: p.clientAppId?.raw, tenantId: p.tenantId?.raw,
      },
      webAPI: context.webAPI,
      loadDependency: dependencyLoader(context),
      userName: context.userSettings.userName,
      locale,
      format: formatterFor(context, locale),
      t: host.t,
      formAllowsEdits: host.editable,
      staleAfterMinutes: p.staleAfterMinutes?.raw ?? 5,
    });
  }

  getOutputs(): IOutputs {
    return {};
  }

  destroy(): void {
    // React unmounts the tree; nothing else to release.
  }
}
