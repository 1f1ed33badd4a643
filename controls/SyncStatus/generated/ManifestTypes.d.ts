/*
*This is auto generated from the ControlManifest.Input.xml file
*/

// Define IInputs and IOutputs Type. They should match with ControlManifest.
export interface IInputs {
    recordField: ComponentFramework.PropertyTypes.StringProperty;
    bridgeUrl: ComponentFramework.PropertyTypes.StringProperty;
    bridgeAppId: ComponentFramework.PropertyTypes.StringProperty;
    bridgeScope: ComponentFramework.PropertyTypes.StringProperty;
    clientAppId: ComponentFramework.PropertyTypes.StringProperty;
    tenantId: ComponentFramework.PropertyTypes.StringProperty;
    sandboxIssuer: ComponentFramework.PropertyTypes.StringProperty;
    staleAfterMinutes: ComponentFramework.PropertyTypes.WholeNumberProperty;
    tableName: ComponentFramework.PropertyTypes.StringProperty;
    pollSeconds: ComponentFramework.PropertyTypes.WholeNumberProperty;
}
export interface IOutputs {
    recordField?: string;
}
