// Walks the schema the server runs: every field whose type reaches a patient's data must be
// declared in PATIENT_DATA_FIELDS with how it is audited, so a new field cannot forget its audit.
import { getNamedType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildAppSchema } from '../graphql-schema';
import { PATIENT_DATA_FIELDS, PATIENT_DATA_TYPES } from './patient-data-fields';

/** The object types whose fields lead (at any depth) to one of PATIENT_DATA_TYPES. */
function typesReachingPatientData(schema: GraphQLSchema): Set<string> {
  const objects = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type));
  const reaching = new Set<string>(PATIENT_DATA_TYPES);
  for (let grew = true; grew;) {
    grew = false;
    for (const type of objects) {
      if (reaching.has(type.name)) continue;
      if (Object.values(type.getFields()).some((field) => reaching.has(getNamedType(field.type).name))) {
        reaching.add(type.name);
        grew = true;
      }
    }
  }
  return reaching;
}

/** "Type.field" of every field whose type reaches a patient's data. */
function fieldsReachingPatientData(schema: GraphQLSchema): string[] {
  const reaching = typesReachingPatientData(schema);
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => reaching.has(getNamedType(field.type).name))
        .map((field) => `${type.name}.${field.name}`),
    )
    .sort();
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

it('declares how every field that reaches a patient, appointment, vitals or record is audited', () => {
  const undeclared = fieldsReachingPatientData(schema).filter((field) => !(field in PATIENT_DATA_FIELDS));
  expect(undeclared).toEqual([]);
});

it('declares no field the schema does not have, or that reaches no patient data', () => {
  const reaching = new Set(fieldsReachingPatientData(schema));
  expect(Object.keys(PATIENT_DATA_FIELDS).filter((field) => !reaching.has(field))).toEqual([]);
});

it('names at least one audit action for every field that sends, delivers or changes patient data', () => {
  for (const [field, coverage] of Object.entries(PATIENT_DATA_FIELDS)) {
    if (coverage.kind === 'read' || coverage.kind === 'delivery' || coverage.kind === 'change') {
      expect({ field, actions: coverage.actions }).not.toEqual({ field, actions: [] });
    }
  }
});
