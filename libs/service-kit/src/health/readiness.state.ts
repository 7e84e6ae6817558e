import { Injectable } from '@nestjs/common';

/** Set when the process begins shutting down, so readiness turns 503 before the server stops. */
@Injectable()
export class ReadinessState {
  private draining = false;

  markDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
