// Solution-layer tables: what ImportSolution creates (solution, publisher, customcontrol, importjob) and
// the security roles that decide who may import (role, systemuserroles). Names from Microsoft's table
// reference; only the columns the sandbox fills are modelled.
import type { TableDef } from './schema-types';
import { table } from './table-builder';

export const SOLUTION_TABLES: TableDef[] = [
  table({
    logicalName: 'publisher', entitySet: 'publishers', primaryKey: 'publisherid', primaryName: 'friendlyname', objectTypeCode: 7101,
    columns: { publisherid: 'Uniqueidentifier', uniquename: 'String', friendlyname: 'String', customizationprefix: 'String', customizationoptionvalueprefix: 'Integer', description: 'Memo' },
    alternateKeys: [['uniquename']],
  }),
  table({
    logicalName: 'solution', entitySet: 'solutions', primaryKey: 'solutionid', primaryName: 'friendlyname', objectTypeCode: 7100,
    columns: {
      solutionid: 'Uniqueidentifier', uniquename: 'String', friendlyname: 'String', version: 'String', ismanaged: 'Boolean', isvisible: 'Boolean',
      publisherid: 'Lookup', installedon: 'DateTime', description: 'Memo',
    },
    lookups: { publisherid: { targets: ['publisher'] } },
    alternateKeys: [['uniquename']],
  }),
  table({
    logicalName: 'customcontrol', entitySet: 'customcontrols', primaryKey: 'customcontrolid', primaryName: 'name', objectTypeCode: 66,
    columns: { customcontrolid: 'Uniqueidentifier', name: 'String', compatibledatatypes: 'String', manifest: 'Memo', version: 'String', ismanaged: 'Boolean' },
    alternateKeys: [['name']],
  }),
  table({
    logicalName: 'importjob', entitySet: 'importjobs', primaryKey: 'importjobid', primaryName: 'name', objectTypeCode: 4428,
    columns: {
      importjobid: 'Uniqueidentifier', name: 'String', solutionname: 'String', solutionid: 'Uniqueidentifier', progress: 'Double',
      startedon: 'DateTime', completedon: 'DateTime', data: 'Memo', operationcontext: 'String',
    },
    alternateKeys: [],
  }),
  table({
    logicalName: 'role', entitySet: 'roles', primaryKey: 'roleid', primaryName: 'name', objectTypeCode: 1036,
    columns: { roleid: 'Uniqueidentifier', name: 'String', businessunitid: 'Lookup' },
    lookups: { businessunitid: { targets: ['businessunit'] } },
    alternateKeys: [],
  }),
  // The roles of a team: its members hold them, at the team's business unit.
  table({
    logicalName: 'teamroles', entitySet: 'teamrolescollection', primaryKey: 'teamroleid', primaryName: 'teamroleid', objectTypeCode: 40,
    columns: { teamroleid: 'Uniqueidentifier', teamid: 'Uniqueidentifier', roleid: 'Uniqueidentifier' },
    alternateKeys: [],
  }),
  table({
    logicalName: 'systemuserroles', entitySet: 'systemuserrolescollection', primaryKey: 'systemuserroleid', primaryName: 'systemuserroleid', objectTypeCode: 15,
    columns: { systemuserroleid: 'Uniqueidentifier', systemuserid: 'Uniqueidentifier', roleid: 'Uniqueidentifier' },
    alternateKeys: [],
  }),
];
