/** The wizard's WizardIo on real quick picks and input boxes, with a Back button from step 2 on. */
import * as vscode from 'vscode';
import { BACK, type Answer, type WizardIo, type WizardStep } from './merge-wizard';

function decorate(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, step: WizardStep): void {
  input.title = step.title;
  input.step = step.step;
  input.totalSteps = step.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
}

/** Shows one quick input and settles with its answer, BACK, or undefined when it is dismissed. */
function settle<T>(input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }, wire: (done: (a: Answer<T>) => void) => vscode.Disposable[]): Promise<Answer<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer<T>) => {
      if (settled) return;
      settled = true;
      for (const d of subs) d.dispose();
      input.dispose();
      resolve(a);
    };
    const subs = [
      ...wire(done),
      input.onDidTriggerButton((b) => { if (b === vscode.QuickInputButtons.Back) done(BACK); }),
      input.onDidHide(() => done(undefined)),
    ];
    input.show();
  });
}

export const quickInputIo: WizardIo = {
  pickOne<T extends vscode.QuickPickItem>(step: WizardStep, items: readonly T[], active?: T): Promise<Answer<T>> {
    const pick = vscode.window.createQuickPick<T>();
    decorate(pick as unknown as vscode.QuickPick<vscode.QuickPickItem>, step);
    pick.placeholder = step.placeholder;
    pick.items = items;
    if (active) pick.activeItems = [active];
    return settle<T>(pick, (done) => [pick.onDidAccept(() => { if (pick.selectedItems[0]) done(pick.selectedItems[0]); })]);
  },
  pickMany<T extends vscode.QuickPickItem>(step: WizardStep, items: readonly T[]): Promise<Answer<readonly T[]>> {
    const pick = vscode.window.createQuickPick<T>();
    decorate(pick as unknown as vscode.QuickPick<vscode.QuickPickItem>, step);
    pick.placeholder = step.placeholder;
    pick.canSelectMany = true;
    pick.items = items;
    pick.selectedItems = items.filter((i) => i.picked);
    return settle<readonly T[]>(pick, (done) => [pick.onDidAccept(() => done([...pick.selectedItems]))]);
  },
  input(step: WizardStep, options: { value?: string; prompt: string; validate: (v: string) => string | undefined }): Promise<Answer<string>> {
    const box = vscode.window.createInputBox();
    decorate(box, step);
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    return settle<string>(box, (done) => [
      box.onDidChangeValue((v) => { box.validationMessage = v ? options.validate(v) : undefined; }),
      box.onDidAccept(() => {
        const problem = options.validate(box.value);
        if (problem) box.validationMessage = problem;
        else done(box.value);
      }),
    ]);
  },
};
