import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { CORRELATION_HEADER, CorrelationContext, NATS_CAUSATION_HEADER, NATS_CORRELATION_HEADER } from './correlation.context';

interface HeaderCarrier {
  get(key: string): string;
}

/**
 * Runs each HTTP request and each NATS request-reply message inside a correlation scope, so logs
 * and every message published while handling it carry the same id.
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = this.scopeOf(context);
    return new Observable((subscriber) =>
      CorrelationContext.run(scope, () => next.handle().subscribe(subscriber)),
    );
  }

  private scopeOf(context: ExecutionContext) {
    if (context.getType() === 'rpc') {
      const rpc = context.switchToRpc().getContext<{ getHeaders?: () => HeaderCarrier | undefined }>();
      const headers = rpc.getHeaders?.();
      return {
        correlationId: CorrelationContext.idFrom(headers?.get(NATS_CORRELATION_HEADER) || undefined),
        causationId: headers?.get(NATS_CAUSATION_HEADER) || undefined,
      };
    }
    const request = context.switchToHttp().getRequest<{ id?: string; headers: Record<string, unknown> }>();
    return { correlationId: CorrelationContext.idFrom(request.id ?? request.headers[CORRELATION_HEADER]) };
  }
}
