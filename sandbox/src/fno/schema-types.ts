// The shapes of the sandbox's F&O schema, in their own module so that the schema loader and the hand-written
// extra entities it merges can both use them without importing each other.
export interface PropertySchema { name: string; type: string; nullable: boolean }
export interface EnumSchema { name: string; members: { name: string; value: number }[] }
export interface EntitySchema {
  entitySet: string;
  typeName: string;
  keys: string[];
  properties: PropertySchema[];
  /** Striped by legal entity (has a dataAreaId key). */
  companyScoped: boolean;
  byName: Map<string, PropertySchema>;
}
export interface FnoSchema { entities: Map<string, EntitySchema>; enums: Map<string, EnumSchema> }
