import { describe, expect, it } from 'vitest';
import { invokeSchemas } from '../../shared/ipc-contract.ts';
import { createAppService } from '../../electron/app/app-service.ts';
import { runNewVmAction } from '../../electron/agent/provisioning-job.ts';
import { provisimFailure } from '../helpers/provisim-failure.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start, stop } = useAppFixture();

describe('the app service contract', () => {
  it('starts the embedded portal when no portal is configured and says so in the state', async () => {
    const { service } = await start();
    const state = valueOf(await invoke(service, 'state:get'));
    expect(state.agent).toMatchObject({
      embeddedPortal: true,
      portalUrl: service.embeddedPortal()!.url,
      arch: 'arm64',
      version: expect.any(String),
    });
    expect(state.agent.portalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(state.settings).toMatchObject({ portalUrl: null, licenseKey: 'ACME-ENG-0002' });
    expect(state.job).toEqual({ phase: 'idle' });
  });

  it('refuses unknown channels, prototype names included, before doing anything', async () => {
    const { service } = await start();
    for (const channel of ['job:format-disk', 'constructor', '__proto__', 'toString', '']) {
      expect(errorOf(await service.handle(channel, {}))).toMatchObject({
        code: 'UNKNOWN_CHANNEL',
        retryable: false,
      });
    }
  });

  it('refuses payloads the schema does not accept, naming the field', async () => {
    const { service } = await start();
    const cases: [string, unknown, string][] = [
      ['job:answer-invitation', { answer: 'maybe' }, 'answer'],
      ['job:answer-invitation', undefined, 'payload'],
      ['vm:start', { uuid: 42 }, 'uuid'],
      ['vm:remove', { uuid: 'x' }, 'deleteFiles'],
      ['job:pause', { now: true }, 'payload'],
      ['job:start-new-vm', 'please', 'payload'],
      [
        'assistant:create-vm',
        { os: 'macos', name: 'A', cpus: 0, memoryMb: 512, diskSizeBytes: 2 ** 20 },
        'cpus',
      ],
      ['settings:save', { licenseKey: 'ACME-ENG-0002' }, 'arch'],
    ];
    for (const [channel, payload, field] of cases) {
      const error = errorOf(await service.handle(channel, payload));
      expect(error.code, channel).toBe('INVALID_PAYLOAD');
      expect(error.message, channel).toContain(field);
    }
    expect(service.state().job).toEqual({ phase: 'idle' });
  });

  it('has a schema for every channel name of the form domain:verb-noun', () => {
    for (const channel of Object.keys(invokeSchemas)) {
      expect(channel).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    }
  });

  it('holds the home folder: a second service or a CLI run on it gets AGENT_BUSY', async () => {
    const { home, service } = await start();
    const second = await provisimFailure(createAppService({ home, detectedArch: 'arm64' }));
    expect(second.code).toBe('AGENT_BUSY');
    const cli = await runNewVmAction({
      home,
      config: { portalUrl: service.embeddedPortal()!.url, licenseKey: 'ACME-ENG-0002' },
      decide: async () => 'accept',
    });
    expect(cli).toMatchObject({ outcome: 'failed', error: { code: 'AGENT_BUSY' } });
    await stop(service);
    const again = await start({ home });
    expect(again.service.state().agent.embeddedPortal).toBe(true);
  });

  it('refuses a second job, a create and a settings change while a job waits for its answer', async () => {
    const { service, pushes } = await start();
    valueOf(await invoke(service, 'job:start-new-vm'));
    await pushes.phase('invited');
    expect(errorOf(await invoke(service, 'job:start-new-vm'))).toMatchObject({
      code: 'AGENT_BUSY',
      retryable: true,
    });
    expect(errorOf(await invoke(service, 'job:resume')).code).toBe('AGENT_BUSY');
    expect(errorOf(await invoke(service, 'job:dismiss')).code).toBe('AGENT_BUSY');
    const create = await invoke(service, 'assistant:create-vm', {
      os: 'macos',
      name: 'Other',
      cpus: 1,
      memoryMb: 1024,
      diskSizeBytes: 2 ** 20,
    });
    expect(errorOf(create).code).toBe('AGENT_BUSY');
    const settings = service.state().settings;
    expect(errorOf(await invoke(service, 'settings:save', settings)).code).toBe('AGENT_BUSY');
    expect(errorOf(await invoke(service, 'job:pause')).code).toBe('JOB_STATE_CONFLICT');
    valueOf(await invoke(service, 'job:cancel'));
    const cancelled = await pushes.phase('cancelled');
    expect(cancelled.vms).toEqual([]);
    valueOf(await invoke(service, 'job:dismiss'));
    expect(service.state().job).toEqual({ phase: 'idle' });
  });

  it('says JOB_STATE_CONFLICT when there is nothing to answer, pause, resume or cancel', async () => {
    const { service } = await start();
    const calls = [
      await invoke(service, 'job:answer-invitation', { answer: 'accept' }),
      await invoke(service, 'job:pause'),
      await invoke(service, 'job:resume'),
      await invoke(service, 'job:cancel'),
    ];
    for (const result of calls) {
      expect(errorOf(result)).toMatchObject({ code: 'JOB_STATE_CONFLICT', retryable: true });
    }
  });
});
