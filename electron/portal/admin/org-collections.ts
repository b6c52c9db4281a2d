import type { FastifyInstance } from 'fastify';
import type { OrgConfig } from '../org-config-schema.ts';
import { registerCollection, type User } from './collection-routes.ts';
import { groupProblems, newKeyProblems, profileProblems } from './entry-checks.ts';
import type { OrgStore } from './org-store.ts';

/**
 * Registers the plain collections: license keys, user groups, policies and configuration
 * profiles. Golden images and assignments have routes of their own.
 */
export function registerOrgCollections(app: FastifyInstance, store: OrgStore): void {
  registerCollection(app, store, {
    path: '/license-keys',
    section: 'licenseKeys',
    single: 'licenseKey',
    idField: 'key',
    noun: 'license key',
    newEntryProblems: newKeyProblems,
    usedBy: keyUsers,
  });
  registerCollection(app, store, {
    path: '/user-groups',
    section: 'userGroups',
    single: 'userGroup',
    idField: 'id',
    noun: 'user group',
    idFromName: true,
    problems: groupProblems,
    usedBy: groupUsers,
  });
  registerCollection(app, store, {
    path: '/policies',
    section: 'policies',
    single: 'policy',
    idField: 'id',
    noun: 'policy',
  });
  registerCollection(app, store, {
    path: '/configuration-profiles',
    section: 'configurationProfiles',
    single: 'configurationProfile',
    idField: 'id',
    noun: 'configuration profile',
    idFromName: true,
    problems: profileProblems,
  });
}

/** What refers to a license key: the group activated with it and the profiles applied to it. */
export function keyUsers(org: OrgConfig, key: string): User[] {
  return [
    ...org.userGroups.filter((g) => g.licenseKey === key).map((g) => user('userGroups', g.id)),
    ...org.configurationProfiles
      .filter((p) => p.appliesToKeys.includes(key))
      .map((p) => user('configurationProfiles', p.id)),
  ];
}

/** What refers to a group: its golden image, its policy and its configuration profile. */
export function groupUsers(org: OrgConfig, group: string): User[] {
  return [
    ...org.goldenImages
      .filter((g) => g.assignedTo.includes(group))
      .map((g) => user('goldenImages', g.id)),
    ...org.policies.filter((p) => p.appliesTo.includes(group)).map((p) => user('policies', p.id)),
    ...org.configurationProfiles
      .filter((p) => p.assignedTo.includes(group))
      .map((p) => user('configurationProfiles', p.id)),
  ];
}

const NOUNS = {
  userGroups: 'user group',
  goldenImages: 'golden image',
  policies: 'policy',
  configurationProfiles: 'configuration profile',
} as const;

function user(section: keyof typeof NOUNS, id: string): User {
  return { path: `${section} "${id}"`, words: `${NOUNS[section]} "${id}"` };
}
