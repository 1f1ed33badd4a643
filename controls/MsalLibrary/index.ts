// The library control: FinancePanel and SyncStatus declare it as an on-demand dependency
// (`<dependency type="control" name="fob_FinOpsBridge.MsalLibrary" load-type="onDemand" />`), and the
// platform runs this bundle when one of them calls context.utils.loadDependency for its first token. Running it
// publishes MSAL on window (common/token/msal-library.ts); the control itself renders nothing and is not meant
// to be placed on a form.
import { publishMsalLibrary } from '../common/token/msal-library';
import type { IInputs, IOutputs } from './generated/ManifestTypes';

publishMsalLibrary();

export class MsalLibrary implements ComponentFramework.StandardControl<IInputs, IOutputs> {
  init(): void {
    // Nothing to show: the library is published when the bundle runs.
  }

  updateView(): void {
    // Nothing to show.
  }

  getOutputs(): IOutputs {
    return {};
  }

  destroy(): void {
    // Nothing to release: the library stays on window for the other controls of the page.
  }
}
